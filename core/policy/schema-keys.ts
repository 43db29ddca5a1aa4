import type * as z from 'zod';
import type { PolicyPath } from './source-locator';

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  in?: z.ZodType;
  valueType?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { def: SchemaDef }).def;
}

/** The object schemas a path can lead to (several when a union lies on the way). */
function objectsAt(schema: z.ZodType, path: PolicyPath): z.ZodType[] {
  const def = defOf(schema);
  if (def.innerType) return objectsAt(def.innerType, path);
  if (def.type === 'pipe' && def.in) return objectsAt(def.in, path);
  if (def.type === 'union' && def.options) return def.options.flatMap((option) => objectsAt(option, path));
  if (path.length === 0) return def.type === 'object' ? [schema] : [];
  const [head, ...rest] = path;
  if (def.type === 'object' && typeof head === 'string' && def.shape?.[head]) return objectsAt(def.shape[head], rest);
  if (def.type === 'array' && typeof head === 'number' && def.element) return objectsAt(def.element, rest);
  if (def.type === 'record' && def.valueType) return objectsAt(def.valueType, rest);
  return [];
}

/** Keys a strict object schema accepts at `path`, for did-you-mean suggestions. */
export function allowedKeysAt(schema: z.ZodType, path: PolicyPath): string[] {
  const keys = objectsAt(schema, path).flatMap((object) => Object.keys(defOf(object).shape ?? {}));
  return [...new Set(keys)];
}
