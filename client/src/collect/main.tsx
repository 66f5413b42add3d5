import { render } from 'preact';
import '../shared/base.css';
import './collect.css';
import { CollectApp } from './CollectApp';

render(<CollectApp />, document.getElementById('app') as HTMLElement);

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  void navigator.serviceWorker.register('/sw.js', { scope: '/collect' }).catch(() => undefined);
}
