// Whether a module is the program that node was started with: its own path against node's first
// argument, resolved, so that a script started through a symbolic link is one too.
import { realpathSync } from 'node:fs'

/** @param {ImportMeta} meta the module's import.meta */
export const isMain = meta => realpathSync(process.argv[1]) === meta.filename
