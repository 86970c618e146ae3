import { describeUserAgent } from './user-agent';

describe('describeUserAgent', () => {
  it('names the browser and system of common user agents', () => {
    expect(
      describeUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36'),
    ).toEqual({ browser: 'Chrome 156', os: 'Linux', deviceType: 'desktop' });
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0')).toEqual({
      browser: 'Firefox 120',
      os: 'Windows 10',
      deviceType: 'desktop',
    });
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ browser: 'Safari 17.1', os: 'iOS 17.1', deviceType: 'mobile' });
  });

  it('says nothing rather than guessing', () => {
    expect(describeUserAgent(null)).toEqual({ browser: null, os: null, deviceType: null });
    expect(describeUserAgent('   ')).toEqual({ browser: null, os: null, deviceType: null });
    expect(describeUserAgent('curl/8.1')).toEqual({ browser: null, os: null, deviceType: null });
    expect(describeUserAgent('\u0000\uffff'.repeat(300)).browser).toBeNull();
  });
});
