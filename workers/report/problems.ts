/** Problems belong to the bytes layer (workers/io/problems.ts); the report shows them as they are. */
export { FormatError, ProblemLog, type Problem } from '../io/problems.ts';
