const asciiCounts = new Uint32Array(128);

/** Shannon entropy in bits per character (counted per UTF-16 unit; one table for ASCII, no allocation). */
export function shannonEntropy(value: string): number {
  const length = value.length;
  if (length === 0) return 0;
  let others: Map<number, number> | undefined;
  for (let at = 0; at < length; at += 1) {
    const code = value.charCodeAt(at);
    if (code < 128) asciiCounts[code] = (asciiCounts[code] as number) + 1;
    else (others ??= new Map()).set(code, (others.get(code) ?? 0) + 1);
  }
  let entropy = 0;
  for (let code = 0; code < 128; code += 1) {
    const count = asciiCounts[code] as number;
    if (count === 0) continue;
    asciiCounts[code] = 0;
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  for (const count of others?.values() ?? []) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** How many of lower case, upper case, digits and symbols a value uses. */
export function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) => pattern.test(value)).length;
}
