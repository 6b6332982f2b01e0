// Git operations tgk needs: stage branches, the commit a deploy is tagged with, and worktrees for
// building an older commit during a promotion.
import { existsSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CliError } from "./command.ts";
import { runTool, runToolOrThrow } from "./process.ts";

export async function git(root: string, args: string[]): Promise<string> {
  const result = await runToolOrThrow("git", args, { cwd: root });
  return result.stdout.trim();
}

export async function assertGitRepository(root: string): Promise<void> {
  const result = await runTool("git", ["rev-parse", "--is-inside-work-tree"], { cwd: root });
  if (result.exitCode !== 0) {
    throw new CliError(`${root} is not inside a git repository`, { hint: "Run tgk from a clone of the tgk repository." });
  }
}

export async function branchExists(root: string, branch: string): Promise<boolean> {
  const result = await runTool("git", ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], { cwd: root });
  return result.exitCode === 0;
}

/** Returns the full SHA of HEAD. */
export async function headCommit(root: string): Promise<string> {
  return git(root, ["rev-parse", "HEAD"]);
}

/** True when the file differs from HEAD in the index or the working tree. */
export async function hasUncommittedChanges(root: string, file: string): Promise<boolean> {
  const status = await git(root, ["status", "--porcelain", "--", file]);
  return status !== "";
}

/** Reads a file as it was at a commit. */
export async function showFile(root: string, commit: string, file: string): Promise<string> {
  const result = await runTool("git", ["show", `${commit}:${file}`], { cwd: root });
  if (result.exitCode !== 0) {
    throw new CliError(`could not read ${file} at commit ${commit}: ${result.stderr.trim()}`, {
      hint: "Fetch the commit (`git fetch --all`) so this clone has it.",
    });
  }
  return result.stdout;
}

/**
 * Checks out a commit into a temporary detached worktree that shares the checkout's node_modules,
 * so wrangler can bundle it there. Call remove() when done.
 */
export async function addWorktree(root: string, commit: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = join(mkdtempSync(join(tmpdir(), "tgk-worktree-")), "checkout");
  await git(root, ["worktree", "add", "--detach", path, commit]);

  // NOTE: the dependencies are the checkout's current ones, not those of package-lock.json at `commit`.
  const modules = join(root, "node_modules");
  if (existsSync(modules)) symlinkSync(modules, join(path, "node_modules"), "dir");
  return {
    path,
    remove: async () => {
      await runTool("git", ["worktree", "remove", "--force", path], { cwd: root });
    },
  };
}
