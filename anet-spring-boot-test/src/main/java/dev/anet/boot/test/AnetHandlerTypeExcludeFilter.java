package dev.anet.boot.test;

import java.io.IOException;
import java.util.Set;

import dev.anet.boot.AnetHandler;
import dev.anet.boot.autoconfigure.AnetServerCustomizer;

import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * {@link TypeExcludeFilter} of {@link AnetHandlerTest @AnetHandlerTest}: keeps classes with
 * {@code @AnetHandler} on the class or on a method (or only the {@code handlers} the test names)
 * and {@link AnetServerCustomizer}s.
 */
final class AnetHandlerTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<AnetHandlerTest> {

	private static final Set<Class<?>> ALL_HANDLERS = Set.of(AnetHandler.class, AnetServerCustomizer.class);

	private static final Set<Class<?>> CUSTOMIZERS = Set.of(AnetServerCustomizer.class);

	private final Set<Class<?>> handlers;

	AnetHandlerTypeExcludeFilter(Class<?> testClass) {
		super(testClass);
		this.handlers = Set.of(getAnnotation().getValue("handlers", Class[].class).orElse(new Class<?>[0]));
	}

	@Override
	protected Set<Class<?>> getKnownIncludes() {
		return this.handlers.isEmpty() ? ALL_HANDLERS : CUSTOMIZERS;
	}

	@Override
	protected Set<Class<?>> getComponentIncludes() {
		return this.handlers;
	}

	@Override
	protected boolean defaultInclude(MetadataReader metadataReader, MetadataReaderFactory metadataReaderFactory)
			throws IOException {
		if (super.defaultInclude(metadataReader, metadataReaderFactory)) {
			return true;
		}
		return this.handlers.isEmpty()
				&& metadataReader.getAnnotationMetadata().hasAnnotatedMethods(AnetHandler.class.getName());
	}

}
