package io.shardprop.core.exact;

/**
 * Thrown by {@link ExactSum} instead of ever rounding or wrapping silently: an addend is NaN, infinite or
 * too large ({@code |x| ≥ 2^}{@value ExactSum#MAX_EXPONENT}), or a sum left the accumulator's range
 * ({@code |S| ≥ 2^}{@value ExactSum#SUM_EXPONENT}).
 *
 * <p>The message starts with {@code "component <i>: "}; callers add their own context (epoch, block)
 * by catching and rethrowing with this exception as the cause.
 */
public class ExactSumException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    /** The index of the offending component in the accumulator. */
    private final int component;

    /**
     * @param component the component index
     * @param problem   what is wrong, e.g. {@code "NaN is not a finite value"}
     */
    public ExactSumException(int component, String problem) {
        super("component " + component + ": " + problem);
        this.component = component;
    }

    /** @return the index of the offending component, also at the start of the message */
    public int component() {
        return component;
    }
}
