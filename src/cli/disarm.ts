import { toggleCommand } from './toggle.ts';

/** `hookwire disarm PID NAME`: disarms an attachment, or a hook's exits. */
export const disarm = toggleCommand('disarm');
