import { inject, Provider } from '@angular/core';
import { Router } from '@angular/router';
import { ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { provideApollo } from 'apollo-angular';
import { ErrorCode } from '@roster/contracts/errors';
import { Cookie, Header } from '@roster/contracts/http';
import { OrganizationContext } from './organization';

const PUBLIC_PAGES = ['/sign-in', '/setup', '/register', '/sso-error'];
/** Where a person whose role requires two-factor authentication sets it up before anything else. */
export const TWO_FACTOR_SETUP_PAGE = '/two-factor-setup';

/** The value of the readable CSRF cookie, read on every request (it changes at each sign-in). */
export function csrfToken(cookies: string = document.cookie): string | null {
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === Cookie.Csrf) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/** The API's `extensions.code` of a failed operation (INTERNAL_SERVER_ERROR when unknown). */
export function errorCode(error: unknown): ErrorCode {
  if (CombinedGraphQLErrors.is(error)) {
    const code = error.errors[0]?.extensions?.['code'];
    const known = Object.values(ErrorCode) as string[];
    if (typeof code === 'string' && known.includes(code)) return code as ErrorCode;
  }
  return ErrorCode.InternalError;
}

/** The translation key of a failed operation's error. */
export function errorKey(error: unknown): string {
  return `errors.${errorCode(error)}`;
}

export function provideApi(): Provider {
  return provideApollo(() => {
    const router = inject(Router);
    const organization = inject(OrganizationContext);
    // Every request made on `/o/<slug>/…` acts in that organization.
    const organizationHeader = new ApolloLink((operation, forward) => {
      const slug = organization.slug();
      if (slug) {
        operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
          headers: { ...headers, [Header.Organization]: slug },
        }));
      }
      return forward(operation);
    });
    const cache = new InMemoryCache();
    // The same person (the same User id) may hold another role in another organization.
    organization.onSwitch(() => void cache.reset());
    const csrf = new ApolloLink((operation, forward) => {
      const token = csrfToken();
      if (token) {
        operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
          headers: { ...headers, [Header.Csrf]: token },
        }));
      }
      return forward(operation);
    });
    // UNAUTHENTICATED anywhere (session ended, user deleted): back to sign-in.
    const unauthenticated = new ErrorLink(({ error }) => {
      if (!CombinedGraphQLErrors.is(error)) return;
      if (!error.errors.some((e) => e.extensions?.['code'] === ErrorCode.Unauthenticated)) return;
      const here = router.url.split('?')[0];
      if (PUBLIC_PAGES.includes(here)) return;
      void router.navigate(['/sign-in'], { queryParams: { returnUrl: router.url } });
    });
    // The person's role requires two-factor authentication and they have none yet: to the set-up.
    const setupRequired = new ErrorLink(({ error }) => {
      if (!CombinedGraphQLErrors.is(error)) return;
      if (!error.errors.some((e) => e.extensions?.['code'] === ErrorCode.TwoFactorSetupRequired)) return;
      const here = router.url.split('?')[0];
      if (here === TWO_FACTOR_SETUP_PAGE || PUBLIC_PAGES.includes(here)) return;
      void router.navigate([TWO_FACTOR_SETUP_PAGE], { queryParams: { returnUrl: router.url } });
    });
    return {
      link: ApolloLink.from([
        unauthenticated,
        setupRequired,
        csrf,
        organizationHeader,
        new HttpLink({ uri: '/graphql', credentials: 'same-origin' }),
      ]),
      cache,
      // A page read again after a change must be read after it: with deduplication, a read identical to one
      // still in flight (a debounced search that started before the change) would get that older answer.
      queryDeduplication: false,
      defaultOptions: {
        query: { fetchPolicy: 'network-only' },
        watchQuery: { fetchPolicy: 'network-only' },
      },
    };
  });
}
