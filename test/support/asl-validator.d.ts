/** Types for asl-validator 4, which ships none. */
declare module 'asl-validator' {
  interface AslValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly { readonly 'Error code': string; readonly Message: string }[];
    errorsText(separator?: string): string;
  }
  function validator(definition: unknown, options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean }): AslValidationResult;
  export = validator;
}
