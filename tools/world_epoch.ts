/** The one timestamp the world build stamps on everything (reproducible builds). */
export const EPOCH = Number(process.env.SOURCE_DATE_EPOCH ?? 1767225600);
