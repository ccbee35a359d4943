// Fault injection for crash-safety tests. The environment variable
//
//   LANDMARK_FAULT_INJECT=<point>[@<n>]
//
// makes the process kill itself with SIGKILL (no destructors, no flushing: like a power cut for
// everything not yet fsynced) the n-th time (1-based, default 1) it reaches fault_point(<point>).
// Points of the checkpoint writer (train/io/checkpoint.cpp, train/io/checkpoint_io.cpp):
//   checkpoint_after_model      model.safetensors of a checkpoint directory is written (step or
//                               best), optimizer.safetensors and trainer.json are not
//   checkpoint_after_optimizer  the same with optimizer.safetensors written too
//   checkpoint_before_install   a step checkpoint is complete in its temporary directory
//   checkpoint_before_latest    it is renamed into place, `latest` still names the previous one
//   checkpoint_before_prune     `latest` names it, older checkpoints are not pruned yet
//   best_after_move_old         best/ was moved to best.old/, the new best/ is not in place
// Unset (the normal case), fault_point costs one getenv.
#pragma once

namespace lm::train {

void fault_point(const char* point);

}  // namespace lm::train
