// Browser entry for the Amplify v6 hosted-login test (bundled with esbuild by hosted/amplify.test.js, never run in Node):
// the app imports exactly what an Amplify web app imports for the hosted UI, and exposes it on window for the test page.
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signInWithRedirect, signOut } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import 'aws-amplify/auth/enable-oauth-listener';

window.amplifyApp = { Amplify, Hub, fetchAuthSession, getCurrentUser, signInWithRedirect, signOut };
