import {
  signUnsubscribeToken,
  unsubscribeAddressFor,
  type LinkSigner,
  type UnsubscribeToken,
} from '@tactful/events';

/** Where an email's links point and what signs them. */
export interface LinkSettings {
  /** `TACTFUL_PUBLIC_URL`, without a trailing slash: its `/u/` path reaches the gateway. */
  readonly publicUrl: string;
  /** `TACTFUL_REPLY_DOMAIN`: the domain of the `mailto:` unsubscribe address. */
  readonly replyDomain: string;
  readonly signer: LinkSigner;
}

/** The links of one email (CONTRACT.md section 4). */
export interface EmailLinks {
  readonly token: string;
  /** The page where one click unsubscribes (`{{ unsubscribe_url }}`). */
  readonly unsubscribeUrl: string;
  /** The same page, with its other choices (`{{ preferences_url }}`). */
  readonly preferencesUrl: string;
  /** `mailto:unsubscribe+<token>@<reply domain>`, for mail readers that unsubscribe by email. */
  readonly mailto: string;
  /** The `List-Unsubscribe` header value: the https link, then the mailto (RFC 2369). */
  readonly listUnsubscribe: string;
}

/** Pure. The path of an unsubscribe token under `TACTFUL_PUBLIC_URL`. */
export const linkPath = (token: string): string => `/u/${token}`;

/** Pure. The links of an email whose token says `token`. */
export function linksFor(token: UnsubscribeToken, settings: LinkSettings): EmailLinks {
  const signed = signUnsubscribeToken(settings.signer, token);
  const url = `${settings.publicUrl}${linkPath(signed)}`;
  const mailto = `mailto:${unsubscribeAddressFor(signed, settings.replyDomain)}`;
  return {
    token: signed,
    unsubscribeUrl: url,
    preferencesUrl: url,
    mailto,
    listUnsubscribe: `<${url}>, <${mailto}>`,
  };
}
