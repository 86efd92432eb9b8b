package io.weft.api;

/**
 * Thrown anywhere in request handling to answer with the given problem. A failure of a layer above (the hub's
 * routing, a value the journal cannot store) extends it with its own problem, so this package needs to know none
 * of them.
 */
public class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public ProblemException(Problem problem, Throwable cause) {
        super(problem.detail(), cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
