import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { devServerToken, httpBackend, setBackend } from './lib/backend';

// Served by the UI's development server (crates/cxm-dev-server, with `?token=…`): the
// commands go to it over HTTP, to the real Rust backend. In the app: Tauri's IPC.
const token = devServerToken();
if (token !== null) setBackend(httpBackend(token));
mount(App, { target: document.getElementById('app')! });
