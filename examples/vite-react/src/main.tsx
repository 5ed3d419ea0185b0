import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './style.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// StrictMode mounts every component twice in development; useRoleplaySession still makes one call.
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
