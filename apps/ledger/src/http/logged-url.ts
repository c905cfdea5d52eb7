/** A certificate's verification code opens it: it is not written to any log (the API's and the console page's URL alike). */
const CODE = /([?&]code=)[^&#]*/gi;

/** The URL as logs show it: a `code=` parameter's value left out. */
export const loggedUrl = (url: string | undefined): string | undefined => (url?.includes('code=') ? url.replace(CODE, '$1…') : url);
