/**
 * Ids (uuids) read as one comma-separated text column instead of an array: node-postgres parses an
 * array's text character by character, where String.prototype.split is native. A uuid holds no comma.
 * `select` returns one id column; `as` names the result.
 */
export const idList = (select: string, as: string): string => `array_to_string(ARRAY(${select}), ',') AS ${as}`;

/** The ids of an idList column ('', null or absent: none). */
export const splitIds = (list: string | null | undefined): string[] => (list ? list.split(',') : []);
