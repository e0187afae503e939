namespace Cognate.Server.ManagedLogin;

/// <summary>
/// The one script of the managed-login pages, served same-origin at <see cref="Path"/> for the passkey pages (sign in with a
/// passkey, <c>/passkeys/add</c>; their CSP is <c>script-src 'self'</c>, every other page has none). On the submit of a form
/// with <c>data-passkey</c> it runs the WebAuthn ceremony with the form's <c>data-options</c> (base64url fields decoded to
/// bytes as WebAuthn Level 3's <c>parse…OptionsFromJSON</c> does), writes the browser's answer as RegistrationResponseJSON /
/// AuthenticationResponseJSON into the hidden field <c>credential</c> and submits the form. A refused or failed ceremony
/// (the user cancelled, no passkey) is shown in the form's <c>data-passkey-error</c> line as <c>role="alert"</c>.
/// </summary>
internal static class PasskeyScript
{
    /// <summary>Where the script is served.</summary>
    public const string Path = "/managedlogin/passkey.js";

    const string Body = """
        (function () {
          'use strict';
          function toBytes(s) {
            s = String(s).replace(/-/g, '+').replace(/_/g, '/');
            while (s.length % 4) s += '=';
            var bin = atob(s), out = new Uint8Array(bin.length);
            for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
            return out.buffer;
          }
          function toText(buf) {
            if (!buf) return undefined;
            var a = new Uint8Array(buf), s = '';
            for (var i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
            return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
          }
          function descriptors(list) {
            return (list || []).map(function (d) { var c = Object.assign({}, d); c.id = toBytes(d.id); return c; });
          }
          function createOptions(o) {
            var p = Object.assign({}, o);
            p.challenge = toBytes(o.challenge);
            p.user = Object.assign({}, o.user, { id: toBytes(o.user.id) });
            p.excludeCredentials = descriptors(o.excludeCredentials);
            return { publicKey: p };
          }
          function getOptions(o) {
            var p = Object.assign({}, o);
            p.challenge = toBytes(o.challenge);
            p.allowCredentials = descriptors(o.allowCredentials);
            return { publicKey: p };
          }
          function answer(c, ceremony) {
            var r = c.response, json = {
              id: c.id, rawId: toText(c.rawId), type: c.type,
              authenticatorAttachment: c.authenticatorAttachment || undefined,
              clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
              response: { clientDataJSON: toText(r.clientDataJSON) }
            };
            if (ceremony === 'create') {
              json.response.attestationObject = toText(r.attestationObject);
              if (r.getTransports) json.response.transports = r.getTransports();
            } else {
              json.response.authenticatorData = toText(r.authenticatorData);
              json.response.signature = toText(r.signature);
              json.response.userHandle = toText(r.userHandle);
            }
            return JSON.stringify(json);
          }
          function show(form, message) {
            var line = form.querySelector('[data-passkey-error]');
            if (!line) return;
            line.textContent = message;
            line.setAttribute('role', 'alert');
            line.hidden = false;
          }
          Array.prototype.forEach.call(document.querySelectorAll('form[data-passkey]'), function (form) {
            var busy = false;
            form.addEventListener('submit', function (ev) {
              ev.preventDefault();
              if (busy) return;
              if (!window.PublicKeyCredential || !navigator.credentials) { show(form, 'This browser does not support passkeys.'); return; }
              var ceremony = form.getAttribute('data-passkey'), options;
              try { options = JSON.parse(form.getAttribute('data-options')); } catch (e) { show(form, 'The passkey request is malformed.'); return; }
              busy = true;
              var run = ceremony === 'create' ? navigator.credentials.create(createOptions(options)) : navigator.credentials.get(getOptions(options));
              run.then(function (c) {
                if (!c) throw new Error('No passkey was chosen.');
                form.querySelector('input[name=credential]').value = answer(c, ceremony);
                HTMLFormElement.prototype.submit.call(form);
              }).catch(function (e) {
                busy = false;
                show(form, (e && e.name === 'NotAllowedError') ? 'The passkey request was cancelled or timed out.' : 'The passkey could not be used: ' + (e && e.message ? e.message : e));
              });
            });
          });
        })();
        """;

    /// <summary>Serves the script (JavaScript, nosniff, cacheable for an hour: it changes only with Cognate).</summary>
    public static IResult Serve(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(Body, "text/javascript; charset=utf-8");
    }
}
