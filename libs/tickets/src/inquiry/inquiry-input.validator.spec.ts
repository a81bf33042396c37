import { validateCustomerReply, validateInquiryInput } from './inquiry-input.validator';

const valid = {
  name: '山田 太郎',
  email: 'taro@example.jp',
  phone: '090-1234-5678',
  orderNumber: 'A-1001',
  category: 'leak_check',
  message: '私の情報は含まれていますか？',
  consent: true,
};

describe('validateInquiryInput', () => {
  it('should accept a valid inquiry and trim it', () => {
    const result = validateInquiryInput({ ...valid, name: '  山田 太郎  ' });
    expect(result).toEqual({
      ok: true,
      value: { ...valid, consent: undefined, name: '山田 太郎' },
    });
  });

  it('should treat empty optional fields as absent', () => {
    const result = validateInquiryInput({ ...valid, phone: '', orderNumber: '' });
    expect(result.ok && result.value.phone).toBeNull();
    expect(result.ok && result.value.orderNumber).toBeNull();
  });

  it('should report each invalid field', () => {
    const result = validateInquiryInput({
      name: '',
      email: 'not-an-email',
      phone: 'abc',
      category: 'refund',
      message: 'x'.repeat(4001),
      consent: false,
      extra: 'x',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues).toEqual(
      expect.arrayContaining([
        { field: 'extra', code: 'unknown_field' },
        { field: 'name', code: 'required' },
        { field: 'email', code: 'invalid_email' },
        { field: 'phone', code: 'invalid_phone' },
        { field: 'category', code: 'invalid_category' },
        { field: 'message', code: 'too_long', max: 4000 },
        { field: 'consent', code: 'consent_required' },
      ]),
    );
  });

  it('should refuse non-string values and a non-object body', () => {
    expect(validateInquiryInput({ ...valid, name: 42 })).toEqual({
      ok: false,
      issues: [{ field: 'name', code: 'invalid_type' }],
    });
    expect(validateInquiryInput([valid]).ok).toBe(false);
    expect(validateInquiryInput(null).ok).toBe(false);
  });

  it('should take a checkbox value as consent only for form posts', () => {
    expect(validateInquiryInput({ ...valid, consent: 'on' }).ok).toBe(false);
    expect(
      validateInquiryInput({ ...valid, consent: 'on' }, { consentFromCheckbox: true }).ok,
    ).toBe(true);
  });

  it('should accept full-width email addresses and count characters, not bytes', () => {
    const result = validateInquiryInput({
      ...valid,
      email: 'ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ',
      name: '山'.repeat(100),
    });
    expect(result.ok && result.value.email).toBe('taro@example.jp');
  });
});

describe('validateCustomerReply', () => {
  it('should require a non-empty message within the limit', () => {
    expect(validateCustomerReply({ message: '  ' })).toEqual({
      ok: false,
      issue: { field: 'message', code: 'required' },
    });
    expect(validateCustomerReply({ message: 'ありがとうございます' })).toEqual({
      ok: true,
      message: 'ありがとうございます',
    });
    expect(validateCustomerReply({ message: 'x'.repeat(4001) }).ok).toBe(false);
  });
});
