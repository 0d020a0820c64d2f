/**
 * Entry point: mounts App into #app and registers the offline service worker.
 * Nothing else happens at import time; App owns the app state.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { registerServiceWorker } from './lib/pwa/register-service-worker.ts';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
void registerServiceWorker();
