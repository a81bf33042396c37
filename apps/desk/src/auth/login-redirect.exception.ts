/** Thrown by the session guard to send a browser elsewhere (to /login, to TOTP enrolment) with a 303. */
export class LoginRedirectException extends Error {
  constructor(readonly location: string) {
    super(`redirect to ${location}`);
    this.name = 'LoginRedirectException';
  }
}
