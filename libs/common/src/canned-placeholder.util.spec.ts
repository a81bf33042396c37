import { renderCannedResponse, unknownPlaceholders } from './canned-placeholder.util';

describe('renderCannedResponse', () => {
  const values = {
    name: '山田 太郎',
    reference: 'K7QM-3XHD',
    merchant: '株式会社デモA商店',
    site: 'デモA オンラインショップ',
    agent: '佐藤',
  };

  it('should fill every known placeholder', () => {
    expect(
      renderCannedResponse('{{name}} 様 {{reference}} {{merchant}} {{site}} {{agent}}', values),
    ).toBe('山田 太郎 様 K7QM-3XHD 株式会社デモA商店 デモA オンラインショップ 佐藤');
  });

  it('should accept spaces inside the braces and repeat placeholders', () => {
    expect(renderCannedResponse('{{ reference }}/{{reference}}', values)).toBe(
      'K7QM-3XHD/K7QM-3XHD',
    );
  });

  it('should leave unknown placeholders as written', () => {
    expect(renderCannedResponse('{{nmae}} 様 {{ order }}', values)).toBe('{{nmae}} 様 {{ order }}');
  });

  it('should empty a known placeholder without a value', () => {
    expect(renderCannedResponse('{{name}}様', { ...values, name: null })).toBe('様');
  });

  it('should not interpret placeholders inside the values', () => {
    expect(renderCannedResponse('{{name}}', { ...values, name: '{{reference}}' })).toBe(
      '{{reference}}',
    );
  });
});

describe('unknownPlaceholders', () => {
  it('should list each unknown placeholder once', () => {
    expect(unknownPlaceholders('{{nmae}} 様 {{ order }} {{nmae}} {{Name}}')).toEqual([
      'nmae',
      'order',
      'Name',
    ]);
  });

  it('should accept the known placeholders with or without spaces', () => {
    expect(unknownPlaceholders('{{name}} {{ reference }} {{merchant}}{{site}}{{agent}}')).toEqual(
      [],
    );
  });
});
