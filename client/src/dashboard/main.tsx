import { render } from 'preact';
import '../shared/base.css';
import './dashboard.css';
import { Dashboard } from './Dashboard';

const slug = decodeURIComponent(location.pathname.split('/')[2] ?? '');
render(<Dashboard slug={slug} />, document.getElementById('app') as HTMLElement);
