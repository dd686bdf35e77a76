export {
  UserStore,
  addUserToFile,
  removeUserFromFile,
  readUsersFile,
  writeUsersFile,
  validateUserName,
  addUserHint,
  DEMO_USER,
  USERS_FILE_MODE,
  USERS_FILE_VERSION,
  type UserRecord,
  type UsersFileData,
} from './user-store.ts';
export {
  createVerifier,
  verifyPassword,
  saslPrep,
  SCRAM_MECHANISM,
  SCRAM_ITERATIONS,
  type ScramSha256Data,
} from './scram.ts';
