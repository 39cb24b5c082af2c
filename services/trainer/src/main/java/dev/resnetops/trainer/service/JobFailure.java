package dev.resnetops.trainer.service;

/** A job that cannot run for a reason its owner can fix; the message is the job's failure reason. */
final class JobFailure extends RuntimeException {

    JobFailure(String reason) {
        super(reason);
    }
}
