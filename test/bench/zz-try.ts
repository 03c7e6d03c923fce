import { benchCatchUp } from './catch-up.js';
const [n, runs, span] = process.argv.slice(2).map(Number);
const t = Date.now();
console.log(JSON.stringify(await benchCatchUp(n!, runs!, span!), null, 1));
console.log('took', Date.now() - t);
