/* Entry point of the bundle bin/vknetd runs. */
import { main } from './cli.ts';

await main(process.argv.slice(2));
