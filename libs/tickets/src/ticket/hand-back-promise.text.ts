/**
 * The intake form's promise about inquiries the desk does not handle, in one place: the form
 * shows it above its fields (apps/intake, INQUIRY_FORM_TEXTS.form.intro) and the hand-back
 * reply to the end user repeats it word for word, so what the shopper was promised and what
 * they are told on hand-back can never drift apart. `{merchantName}` is the merchant's name.
 */
export const HAND_BACK_PROMISE_TEXT =
  '本件と関係のないお問い合わせ（商品・配送・返品など）は、{merchantName}へお引き継ぎし、ショップから回答いたします。';

/** The promise with the merchant's name filled in. */
export function handBackPromise(merchantName: string): string {
  return HAND_BACK_PROMISE_TEXT.split('{merchantName}').join(merchantName);
}
