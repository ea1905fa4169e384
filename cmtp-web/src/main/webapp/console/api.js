// The admin API as the console calls it: HTTP Basic credentials kept for this tab only
// (sessionStorage), and X-Requested-By on every call: state-changing calls need it against
// cross-site requests, and with it a 401 comes without WWW-Authenticate, so the browser
// does not pop up its own login dialog over the console (docs/adr/0008).

const KEY = 'cmtp-console-authorization';

/** A failed call: status, and the problem document's title, detail and field when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `the server answered ${status}`);
    this.status = status;
    this.title = problem?.title || null;
    this.field = problem?.field || null;
  }
}

let onSignedOut = () => {};

/** Called when the server no longer takes the stored credentials (e.g. the password changed). */
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

export function signedIn() {
  return sessionStorage.getItem(KEY) !== null;
}

function basic(user, password) {
  // btoa takes Latin-1 only: encode the UTF-8 bytes of the credentials first
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return 'Basic ' + btoa(String.fromCharCode(...bytes));
}

/** Checks the credentials against the server and keeps them for this tab; throws ApiError if refused. */
export async function signIn(user, password) {
  const authorization = basic(user, password);
  const server = await call('GET', 'server', undefined, authorization);
  sessionStorage.setItem(KEY, authorization);
  return server.data;
}

/**
 * Changes the admin password (PUT /api/admin/password) and keeps the new credentials for
 * this tab, so the console goes on without signing in again; throws ApiError if refused.
 */
export async function changeAdminPassword(currentPassword, newPassword) {
  await call('PUT', 'admin/password', { currentPassword, newPassword });
  sessionStorage.setItem(KEY, basic('admin', newPassword));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

async function call(method, path, body, authorization = sessionStorage.getItem(KEY), accept = 'application/json') {
  const headers = { 'X-Requested-By': 'cmtp-console', Accept: accept };
  if (authorization) {
    headers.Authorization = authorization;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(`api/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, { detail: `the server cannot be reached (${e.message})` });
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (e) {
      // not a problem document: the status says enough
    }
    const error = new ApiError(response.status, problem);
    if (response.status === 401 && authorization === sessionStorage.getItem(KEY)) {
      signOut();
      onSignedOut(error);
    }
    throw error;
  }
  if (accept !== 'application/json') {
    return { status: response.status, data: await response.blob(), headers: response.headers };
  }
  const text = await response.text();
  return { status: response.status, data: text ? JSON.parse(text) : null, headers: response.headers };
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body) => call('POST', path, body),
  patch: (path, body) => call('PATCH', path, body),
  put: (path, body) => call('PUT', path, body),
  delete: (path) => call('DELETE', path),
  /** The body as a Blob, for downloads. */
  blob: (path) => call('GET', path, undefined, sessionStorage.getItem(KEY), 'application/octet-stream'),
};

/** A path segment as the API wants it in a URL. */
export const seg = encodeURIComponent;
