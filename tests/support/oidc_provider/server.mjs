// Test OpenID Connect provider standing in for FranceConnect and ProConnect in Guichet's
// integration tests (tests/support/oidc.py starts it). It is oidc-provider 9 with:
// - interactions that complete by themselves: login with the account set through the
//   control API, consent granted for every requested scope and claim;
// - FranceConnect / ProConnect scopes, each releasing the claim of the same name;
// - signed (JWT) userinfo for clients registered with userinfo_signed_response_alg;
// - RP-initiated logout whose confirmation page submits itself;
// - a control API under /__control/ (loopback only): next-login, tamper, events.
// As at FranceConnect, the id_token carries acr when the request has acr_values, and amr only
// when asked through the claims parameter ({"id_token": {"amr": {"essential": true}}}).
//
// Environment: OIDC_PORT, OIDC_ISSUER, OIDC_KEYS (path to {"keys": [private RSA JWKs]}, the
// first one signs), OIDC_CLIENTS (JSON list of client metadata).
// Never use this outside tests: no real authentication happens.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import { CompactSign, decodeJwt, decodeProtectedHeader, generateKeyPair, importJWK } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 0);
const issuer = process.env.OIDC_ISSUER || `http://127.0.0.1:${port}`;
if (!process.env.OIDC_KEYS || !process.env.OIDC_CLIENTS) {
  console.error('OIDC_KEYS and OIDC_CLIENTS are required');
  process.exit(2);
}
const { keys } = JSON.parse(readFileSync(process.env.OIDC_KEYS, 'utf8'));
const clients = JSON.parse(process.env.OIDC_CLIENTS);

const log = (...args) => console.log(new Date().toISOString(), ...args);

// --- State driven by the control API ----------------------------------------------------
const accounts = new Map(); // sub -> { sub, claims }
let nextLogin = null; // { sub, acr, amr }
let tamperMode = null;
const TAMPER_MODES = new Set([
  'expired', 'bad_signature', 'wrong_nonce', 'wrong_audience',
  'userinfo_bad_signature', 'userinfo_wrong_audience', 'userinfo_other_subject',
]);
const events = [];
const MAX_EVENTS = 5000;

// --- Scopes and claims ------------------------------------------------------------------
const FRANCECONNECT = [
  'given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry',
  'email', 'preferred_username',
];
const PROCONNECT = ['usual_name', 'uid', 'siret', 'idp_id'];
const claims = {
  acr: null,
  amr: null,
  auth_time: null,
  iss: null,
  sid: null,
  openid: ['sub'],
  profile: [
    'birthdate', 'family_name', 'gender', 'given_name', 'locale', 'middle_name', 'name',
    'nickname', 'picture', 'preferred_username', 'profile', 'updated_at', 'website', 'zoneinfo',
  ],
};
for (const name of [...FRANCECONNECT, ...PROCONNECT]) claims[name] = [name];
claims.email = ['email', 'email_verified'];

// --- Pages (no external resources, no CSP needed) ---------------------------------------
const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body>${body}</body></html>`;

const configuration = {
  clients,
  jwks: { keys },
  claims,
  scopes: ['openid'],
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  responseTypes: ['code'],
  clientDefaults: {
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
    token_endpoint_auth_method: 'client_secret_post',
  },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  conformIdTokenClaims: true,
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    userinfo: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // A browser goes on by itself (inline script); Python posts the form's fields.
      async logoutSource(ctx, form) {
        const withLogout = form.replace(
          '</form>',
          '<input type="hidden" name="logout" value="yes"/>'
            + '<noscript><button type="submit">Se déconnecter</button></noscript></form>',
        );
        ctx.body = page(
          'Déconnexion',
          `${withLogout}<script>document.forms[0].submit();</script>`,
        );
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page('Déconnecté', '<h1>Déconnecté du fournisseur de test</h1>');
      },
    },
  },
  interactions: {
    url: (ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  async renderError(ctx, out, error) {
    ctx.type = 'html';
    const details = Object.entries(out)
      .map(([key, value]) => `<dt>${escape(key)}</dt><dd>${escape(value)}</dd>`)
      .join('');
    ctx.body = page('Erreur du fournisseur de test', `<h1>oidc-provider error</h1><dl>${details}</dl>`);
    log('renderError', JSON.stringify(out), error?.message ?? '');
  },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { ...account.claims, sub };
      },
    };
  },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 3600,
    Session: 3600,
    Grant: 3600,
  },
};

const provider = new Provider(issuer, configuration);

// --- Events: every provider event is recorded (and logged) for /__control/events ---------
const emit = provider.emit.bind(provider);
provider.emit = (name, ...args) => {
  const error = args.find((arg) => arg instanceof Error);
  const event = { name, at: new Date().toISOString() };
  if (error) {
    event.error = error.message;
    if (error.error_description) event.error_description = error.error_description;
  }
  events.push(event);
  if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
  if (!/\.(saved|consumed|destroyed)$/.test(name)) {
    log('event', name, error ? `${error.message} ${error.error_description ?? ''}` : '');
  }
  return emit(name, ...args);
};
provider.on('server_error', (ctx, error) => log('server_error stack', error?.stack));

// --- Tampering with the next token response's id_token -----------------------------------
async function tamper(idToken, mode) {
  const header = decodeProtectedHeader(idToken);
  const payload = decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  const jwk = keys.find((key) => key.kid === header.kid) ?? keys[0];
  let key = await importJWK(jwk, header.alg);
  switch (mode) {
    case 'expired':
      payload.exp = now - 600;
      payload.iat = now - 1200;
      break;
    case 'bad_signature':
      ({ privateKey: key } = await generateKeyPair(header.alg, { modulusLength: 2048 }));
      break;
    case 'wrong_nonce':
      payload.nonce = randomBytes(16).toString('base64url');
      break;
    case 'wrong_audience':
      payload.aud = 'someone-else';
      break;
    case 'other_subject':
      payload.sub = 'someone-else';
      break;
    default:
      throw new Error(`unknown tamper mode ${mode}`);
  }
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .sign(key);
}

provider.use(async (ctx, next) => {
  await next();
  if (tamperMode?.startsWith('userinfo_')) {
    // A signed userinfo (FranceConnect v2): its JWT is altered the same way.
    if (ctx.oidc?.route !== 'userinfo' || ctx.status !== 200 || typeof ctx.body !== 'string') return;
    const mode = tamperMode;
    tamperMode = null;
    ctx.body = await tamper(ctx.body, mode.slice('userinfo_'.length));
    provider.emit('tamper.applied', { mode });
    log('tampered userinfo:', mode);
    return;
  }
  if (!tamperMode || ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
  const body = ctx.body;
  if (!body || typeof body !== 'object' || typeof body.id_token !== 'string') return;
  const mode = tamperMode;
  tamperMode = null;
  body.id_token = await tamper(body.id_token, mode);
  provider.emit('tamper.applied', { mode });
  log('tampered id_token:', mode);
});

// --- Interactions: login and consent without any page ------------------------------------
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  let result;
  if (prompt.name === 'login') {
    if (!nextLogin) {
      result = {
        error: 'access_denied',
        error_description: 'no account set through POST /__control/next-login',
      };
    } else {
      result = {
        login: {
          accountId: nextLogin.sub,
          acr: nextLogin.acr,
          amr: nextLogin.amr,
          remember: true,
        },
      };
    }
  } else if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const missing = prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    result = { consent: details.grantId ? {} : { grantId } };
  } else {
    result = { error: 'access_denied', error_description: `unsupported prompt ${prompt.name}` };
  }
  log('interaction', details.uid, prompt.name, JSON.stringify(result));
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

// --- Control API ---------------------------------------------------------------------------
async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

async function control(req, res, path) {
  if (!LOOPBACK.has(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'loopback only' });
  if (req.method === 'GET' && path === '/__control/events') return sendJson(res, 200, events);
  if (req.method === 'POST' && path === '/__control/next-login') {
    const { sub, claims: accountClaims = {}, acr = 'eidas1', amr = ['pwd'] } = await readJson(req);
    if (typeof sub !== 'string' || !sub) return sendJson(res, 400, { error: 'sub is required' });
    accounts.set(sub, { sub, claims: accountClaims });
    nextLogin = { sub, acr, amr };
    log('next login', sub, acr, JSON.stringify(amr));
    return sendJson(res, 200, { sub, acr, amr });
  }
  if (req.method === 'POST' && path === '/__control/tamper') {
    const { mode = null } = await readJson(req);
    if (mode !== null && !TAMPER_MODES.has(mode)) {
      return sendJson(res, 400, { error: `mode must be null or one of ${[...TAMPER_MODES]}` });
    }
    tamperMode = mode;
    log('tamper mode', mode);
    return sendJson(res, 200, { mode });
  }
  return sendJson(res, 404, { error: 'unknown control route' });
}

// --- Server --------------------------------------------------------------------------------
const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const { pathname } = new URL(req.url, issuer);
  try {
    if (pathname.startsWith('/__control/')) return await control(req, res, pathname);
    if (pathname.startsWith('/interaction/')) return await interaction(req, res);
    return callback(req, res);
  } catch (error) {
    log('handler error', pathname, error?.stack ?? error);
    if (!res.headersSent) {
      const status = error instanceof SyntaxError ? 400 : 500;
      return sendJson(res, status, { error: error.name, error_description: error.message });
    }
    return res.end();
  }
});

server.listen(port, '127.0.0.1', () => {
  log(`test OIDC provider listening on ${issuer} (port ${server.address().port}), `
    + `signing kid ${keys[0].kid}, clients ${clients.map((c) => c.client_id).join(', ')}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    log(`${signal}: exiting`);
    server.closeAllConnections?.();
    server.close();
    process.exit(0);
  });
}
