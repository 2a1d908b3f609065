/**
 * The transparency tools could not do what was asked, or the answer is no (a log that does
 * not verify, a server out of reach, a state file that cannot be read): the message says
 * which, in a sentence.
 */
export class TransparencyError extends Error {
  override readonly name: string = 'TransparencyError';
}

/**
 * The folder named to write into cannot be used: it is not a folder, or it holds something
 * other than what the tool would write there. The caller named the wrong folder.
 */
export class UnusableFolderError extends TransparencyError {
  override readonly name: string = 'UnusableFolderError';
}
