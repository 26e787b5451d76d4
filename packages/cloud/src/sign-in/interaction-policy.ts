import { interactionPolicy } from 'oidc-provider';

/**
 * The provider's default prompts (login, consent) plus one check: a browser session whose account
 * was disabled or deleted since it signed in must sign in again (the provider would otherwise go on
 * to the consent check without an account). With `prompt=none` the app gets `login_required`.
 */
export function signInPolicy(): interactionPolicy.Prompt[] {
  const policy = interactionPolicy.base();
  policy
    .get('login')
    ?.checks.add(
      new interactionPolicy.Check(
        'account_unavailable',
        'the account of this session is disabled or deleted',
        'login_required',
        (ctx) => Boolean(ctx.oidc.session?.accountId) && !ctx.oidc.account,
      ),
    );
  return policy;
}
