/**
 * Errors in the servicedeskapi shape: {"errorMessage", "i18nErrorMessage": {"i18nKey", "parameters"}}.
 * Handlers throw ApiError; the server turns it into the response.
 */

export interface ErrorBody {
  errorMessage: string;
  i18nErrorMessage: { i18nKey: string; parameters: string[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly i18nKey: string,
    readonly parameters: string[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): object {
    return errorBody(this.message, this.i18nKey, this.parameters);
  }
}

/** Errors of the Jira platform API (/rest/api/*), which use {"errorMessages": [...], "errors": {}}. */
export class PlatformError extends ApiError {
  constructor(status: number, message: string) {
    super(status, message, 'platform');
  }

  override body(): object {
    return { errorMessages: [this.message], errors: {} };
  }
}

export const errorBody = (errorMessage: string, i18nKey: string, parameters: string[] = []): ErrorBody => ({
  errorMessage,
  i18nErrorMessage: { i18nKey, parameters },
});

export const badRequest = (message: string, key = 'sd.api.request.invalid', params: string[] = []) =>
  new ApiError(400, message, key, params);

export const unauthorized = () =>
  new ApiError(401, 'You are not logged in. Please log in and try again.', 'sd.api.user.not.logged.in', [], {
    'WWW-Authenticate': 'Basic realm="protected-area"',
  });

export const forbidden = (message = 'You do not have permission to perform this operation.', key = 'sd.api.permission.denied') =>
  new ApiError(403, message, key);

export const notFound = (message: string, key = 'sd.api.resource.not.found', params: string[] = []) =>
  new ApiError(404, message, key, params);

export const conflict = (message: string, key: string) => new ApiError(409, message, key);
