package io.distpatterns.platform.test;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The architecture rules every module of the platform checks with ArchUnit.
 *
 * <ul>
 *   <li>{@link #domainIsFreeOfWebAndMessaging}: a service's {@code domain} package knows nothing of
 *       HTTP, servlets, Kafka or its own {@code web} and {@code messaging} packages. A service
 *       without a domain package yet passes it; the moment one appears, it is held to the rule.</li>
 *   <li>{@link #dependsOnNoOtherService}: a service uses the shared {@code platform} libraries and
 *       third-party code, never another service's classes.</li>
 *   <li>{@link #sharedLibrariesDependOnNoService}: shared libraries depend on no service.</li>
 * </ul>
 */
public final class PlatformArchitectureRules {

    /** Root package of every module of the platform. */
    public static final String ROOT = "io.distpatterns";
    /** Root package of the shared libraries. */
    public static final String SHARED = ROOT + ".platform";

    private PlatformArchitectureRules() {
    }

    public static ArchRule domainIsFreeOfWebAndMessaging(String servicePackage) {
        return noClasses().that().resideInAPackage(servicePackage + ".domain..")
                .should().dependOnClassesThat(resideInAnyPackage(
                        servicePackage + ".web..",
                        servicePackage + ".messaging..",
                        "org.springframework.web..",
                        "org.springframework.http..",
                        "org.springframework.kafka..",
                        "org.apache.kafka..",
                        "jakarta.servlet.."))
                .because("the domain holds the rules; transport lives in web and messaging")
                .allowEmptyShould(true);
    }

    public static ArchRule dependsOnNoOtherService(String servicePackage) {
        return noClasses().that().resideInAPackage(servicePackage + "..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                        .and(not(resideInAnyPackage(servicePackage + "..", SHARED + ".."))))
                .because("services talk over HTTP and Kafka, never through each other's classes");
    }

    public static ArchRule sharedLibrariesDependOnNoService() {
        return noClasses().that().resideInAPackage(SHARED + "..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..")
                        .and(not(resideInAPackage(SHARED + ".."))))
                .because("shared libraries hold mechanisms, never a service's business rules");
    }
}
