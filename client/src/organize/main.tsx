import { render } from 'preact';
import '../shared/base.css';
import './organize.css';
import { Organize } from './Organize';

const [, , slug = '', tab = 'members'] = location.pathname.split('/').map(decodeURIComponent);
render(<Organize slug={slug} initialTab={tab} />, document.getElementById('app') as HTMLElement);
