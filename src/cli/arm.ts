import { toggleCommand } from './toggle.ts';

/** `hookwire arm PID NAME`: arms an attachment, or a hook's exits. */
export const arm = toggleCommand('arm');
