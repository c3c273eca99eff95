/** The directory of approvers: roles for GitHub logins and teams, from REVIEW_DIRECTORY_FILE. */
export {
  directoryFrom,
  directoryFromEnv,
  DirectoryError,
  DirectoryFileSchema,
  fileDirectory,
  loadDirectory,
  parseDirectory,
  resolveRoles,
  unheldRoles,
  type Directory,
  type DirectoryFile,
} from './directory';
