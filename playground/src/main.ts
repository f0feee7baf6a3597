/**
 * The ELIM playground: the page's tabs and their wiring. `?tab=` opens a tab; `?autostart=1`
 * starts training at once (the browser test uses both); `?checkpoint=URL` fills the Predict
 * tab's URL field. Nothing is fetched except this page's own files and a checkpoint URL the
 * user gives.
 */
import { drawBenchmark, buildRegimeControls } from './benchmark-view.js';
import { buildPredict } from './predict-view.js';
import { probe } from './probe.js';
import { buildForm, query, requestStop, startTraining } from './train-view.js';
import { buildTransportControls, drawTransport } from './transport-view.js';

const TABS = ['train', 'benchmark', 'transport', 'predict'] as const;
type Tab = (typeof TABS)[number];

const show = (tab: Tab) => {
  for (const t of TABS) {
    document.getElementById(`tab-${t}`)!.classList.toggle('on', t === tab);
    document.querySelector(`nav [data-tab="${t}"]`)!.classList.toggle('on', t === tab);
  }
  if (tab === 'benchmark') drawBenchmark();
  if (tab === 'transport') drawTransport(true);
};

const q = query();
buildForm(() => undefined);
buildRegimeControls(() => drawBenchmark());
buildTransportControls();
buildPredict(q.get('checkpoint'));
for (const b of document.querySelectorAll<HTMLButtonElement>('nav button')) b.addEventListener('click', () => show(b.dataset.tab as Tab));
document.getElementById('start')!.addEventListener('click', () => void startTraining());
document.getElementById('stop')!.addEventListener('click', requestStop);
const first = (q.get('tab') ?? 'train') as Tab;
show(TABS.includes(first) ? first : 'train');
if (q.get('autostart') === '1') void startTraining();
(globalThis as unknown as { __playgroundShow: (t: Tab) => void }).__playgroundShow = show;
void probe;
