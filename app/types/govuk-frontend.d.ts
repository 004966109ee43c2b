// GOV.UK Frontend ships JavaScript without type declarations; these are the parts we use.
declare module "govuk-frontend" {
  export interface InitAllOptions {
    scope?: Element | Document | null;
    onError?: (error: unknown, context: Record<string, unknown>) => void;
  }
  export function initAll(options?: InitAllOptions | Element | Document | null): void;
}
