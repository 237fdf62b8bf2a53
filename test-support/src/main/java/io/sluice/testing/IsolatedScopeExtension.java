package io.sluice.testing;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class its own {@link IsolatedScope} on the shared servers:
 * {@code @RegisterExtension static final IsolatedScopeExtension scope = new IsolatedScopeExtension();}, then
 * {@code scope.get()} or an {@code IsolatedScope} test parameter.
 *
 * <p>The scope is created on first use, so it is ready even for code that runs before this extension's callbacks
 * (a Micronaut {@code TestPropertyProvider}, say), and closed after the class's last test.
 */
public final class IsolatedScopeExtension implements AfterAllCallback, ParameterResolver {

    private final String name;
    private IsolatedScope scope;

    /** Names the scope after the class whose static initialiser calls this constructor. */
    public IsolatedScopeExtension() {
        this(StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass().getSimpleName());
    }

    public IsolatedScopeExtension(String name) {
        this.name = name;
    }

    /** The test class's scope, created on first call. */
    public synchronized IsolatedScope get() {
        if (scope == null) {
            scope = TestInfra.shared().isolate(name);
        }
        return scope;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        // A @Nested class inherits this extension; its end is not the end of the class that owns the scope.
        if (scope != null && !context.getRequiredTestClass().isAnnotationPresent(Nested.class)) {
            scope.close();
            scope = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == IsolatedScope.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return get();
    }
}
