import CAllocatorTuning
import MeshCommands

// The allocator was tuned before this line runs (CAllocatorTuning's constructor); asking
// what the tuning did is also what keeps that C file in the link, whose constructor
// nothing else refers to.
_ = diddy_mesh_allocator_tuning()

await MeshCommandLine.runAsProcess(Array(CommandLine.arguments.dropFirst()))
