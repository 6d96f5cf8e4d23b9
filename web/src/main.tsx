import './responsive.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import './i18n/index.ts';
import { createQueryClient } from './api/queryClient.ts';
import { LocalizedAntd } from './components/LocalizedAntd.tsx';
import { App } from './App.tsx';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <LocalizedAntd>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </LocalizedAntd>
    </QueryClientProvider>
  </StrictMode>,
);
