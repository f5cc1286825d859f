# The Java binding (bindings/java): a Maven project, com.cxreports:cxreports, Java 8
# bytecode over JNA, with both Linux libraries inside the jar.
#   build-java  fills build/java-native/{linux-x86-64,linux-aarch64}/ (JNA's resource
#               layout) from build/linux-{x64,arm64}/, runs Maven (JDK 17, local repository
#               build/m2, so no ~/.m2 is read or written) and leaves in dist/:
#               cxreports-<v>.jar, cxreports-<v>-sources.jar, cxreports-<v>.pom
#               (<v> = core/version.go's Version; pom.xml's version must be the same)
#   test-java   the JUnit suite on Java 17 and again on Java 25 (bindings/java/scripts/
#               jdk.sh finds them: JAVA17_HOME / JAVA25_HOME override); every class in the
#               jar at major version 52 and both libraries inside (scripts/check_jar.py);
#               the user's fresh Maven project and the README's Java example, installed
#               from dist/ into an empty local repository, on Java 17 and 25
#   bench-java  the Java rows of `make bench-realistic` (bench-realistic runs them)
#   demo-java   render a PDF from Java -> out/demo-java.pdf
.PHONY: clean-java build-java test-java test-java-17 test-java-25 test-java-jar test-java-user-project bench-java demo-java build-java-bench
JAVA_DIR := bindings/java
JAVA_VERSION := $(shell sed -n 's/^const Version = "\(.*\)"/\1/p' core/version.go)
JAVA_JAR := $(DIST)/cxreports-$(JAVA_VERSION).jar
JAVA_SRCJAR := $(DIST)/cxreports-$(JAVA_VERSION)-sources.jar
JAVA_POM := $(DIST)/cxreports-$(JAVA_VERSION).pom
JAVA_NATIVE := $(BUILD)/java-native
JAVA_SCRIPTS := $(JAVA_DIR)/scripts
# Maven on a JDK found by jdk.sh (17 or 25); the JDK's home is looked up when the recipe
# runs, so a machine without Java 25 fails test-java with what to install, not `make`.
JAVA_MVN = JAVA_HOME=$$($(JAVA_SCRIPTS)/jdk.sh $(1)) && export JAVA_HOME && \
	$(JAVA_SCRIPTS)/mvn.sh $(BUILD)/m2 -q -f $(JAVA_DIR)/pom.xml \
	-Dcxreports.native.dir=$(JAVA_NATIVE) -Dcxfake=$(BUILD)/cxfake
# The folders too: removing a source file changes only its folder's time.
JAVA_SRC := $(JAVA_DIR)/pom.xml $(shell find $(JAVA_DIR)/src/main 2>/dev/null)
SOURCE_PLUGIN := org.apache.maven.plugins:maven-source-plugin:3.4.0

build-java: $(JAVA_JAR) $(JAVA_SRCJAR) $(JAVA_POM)

# Maven's own output folder is in the source tree (bindings/java/target/, ignored by git).
clean: clean-java
clean-java:
	rm -rf $(JAVA_DIR)/target

# JNA's names for the platforms: <os>-<arch> as com.sun.jna.Platform.RESOURCE_PREFIX has them.
javanative_linux-x64 := linux-x86-64
javanative_linux-arm64 := linux-aarch64
JAVA_NATIVES := $(foreach p,$(LIB_PLATFORMS),$(JAVA_NATIVE)/$(javanative_$(p))/libcxreports.so)
define JAVA_NATIVE_RULE
$(JAVA_NATIVE)/$(javanative_$(1))/libcxreports.so: $(BUILD)/$(1)/libcxreports.so
	@mkdir -p $$(@D)
	cp $$< $$@.tmp && mv -f $$@.tmp $$@
endef
$(foreach p,$(LIB_PLATFORMS),$(eval $(call JAVA_NATIVE_RULE,$(p))))

# One Maven run makes all three. Tests are not compiled here (test-java runs them); the
# sources jar comes from the source plugin named on the command line. The pom shipped is
# the project's own: its dependencies (JNA, Jackson) are what users' builds resolve.
$(JAVA_JAR) $(JAVA_SRCJAR) $(JAVA_POM) &: $(JAVA_SRC) $(JAVA_NATIVES) core/version.go $(JAVA_SCRIPTS)/check_jar.py
	@v=$$(python3 -c 'import sys, xml.etree.ElementTree as E; print(E.parse(sys.argv[1]).getroot().find("{http://maven.apache.org/POM/4.0.0}version").text)' $(JAVA_DIR)/pom.xml); \
		[ "$$v" = "$(JAVA_VERSION)" ] || { echo "java: $(JAVA_DIR)/pom.xml has version $$v, core/version.go has $(JAVA_VERSION): make them the same" >&2; exit 1; }
	$(call JAVA_MVN,17) -Dmaven.test.skip=true package $(SOURCE_PLUGIN):jar-no-fork -Dmaven.source.excludeResources=true
	python3 $(JAVA_SCRIPTS)/check_jar.py $(JAVA_DIR)/target/cxreports-$(JAVA_VERSION).jar
	@mkdir -p $(DIST)
	cp $(JAVA_DIR)/target/cxreports-$(JAVA_VERSION)-sources.jar $(JAVA_SRCJAR).tmp && mv -f $(JAVA_SRCJAR).tmp $(JAVA_SRCJAR)
	cp $(JAVA_DIR)/pom.xml $(JAVA_POM).tmp && mv -f $(JAVA_POM).tmp $(JAVA_POM)
	cp $(JAVA_DIR)/target/cxreports-$(JAVA_VERSION).jar $(JAVA_JAR).tmp && mv -f $(JAVA_JAR).tmp $(JAVA_JAR)

# The suite loads the library from target/classes (the natives Maven copied there), as
# the jar does; whatever CXREPORTS_LIB the caller's environment holds is dropped
# (scripts/test-junit.sh, which also checks which Java ran the tests).
test-java: test-java-jar test-java-17 test-java-25 test-java-user-project
test-java-17 test-java-25: test-java-%: $(JAVA_JAR) $(BUILD)/cxfake
	$(JAVA_SCRIPTS)/test-junit.sh $* $(BUILD)/m2 $(JAVA_NATIVE) $(BUILD)/cxfake

test-java-jar: $(JAVA_JAR) $(JAVA_SRCJAR) $(JAVA_POM)
	python3 $(JAVA_SCRIPTS)/check_jar.py --self-test
	python3 $(JAVA_SCRIPTS)/check_jar.py $(JAVA_JAR)
	@unzip -Z1 $(JAVA_SRCJAR) | grep -q '^com/cxreports/CxReportsClient\.java$$' || \
		{ echo "java: $(JAVA_SRCJAR) lacks com/cxreports/CxReportsClient.java" >&2; exit 1; }

test-java-user-project: $(JAVA_JAR) $(JAVA_SRCJAR) $(JAVA_POM) $(BUILD)/cxfake
	$(JAVA_SCRIPTS)/test-user-project.sh $(JAVA_JAR) $(JAVA_SRCJAR) $(JAVA_POM)

demo-java: $(JAVA_JAR) $(BUILD)/java-bench/classpath $(BUILD)/cxfake
	@mkdir -p $(OUT)
	JH=$$($(JAVA_SCRIPTS)/jdk.sh 17) && export JH && env -u CXREPORTS_LIB scripts/with-fake.sh bash -c \
		'cd $(OUT) && "$$JH/bin/java" -cp "$$(cat $(BUILD)/java-bench/classpath)" \
		$(CURDIR)/$(JAVA_DIR)/user-project/src/main/java/com/example/app/UserProject.java demo-java.pdf'

# The bench worker (bindings/java/bench/RealisticWorker.java) and build/java-bench/run,
# which starts it on Java 17 with dist's jar (its bundled library, as users get it) and the
# jar's runtime dependencies from build/m2. scripts/bench_realistic.py runs that script;
# build/java-bench/classpath is the same classpath, for demo-java.
bench-java: bench-realistic
bench-realistic: build-java-bench
build-java-bench: $(BUILD)/java-bench/run
$(BUILD)/java-bench/classpath $(BUILD)/java-bench/run &: $(JAVA_JAR) $(JAVA_DIR)/bench/RealisticWorker.java mk/java.mk
	@mkdir -p $(BUILD)/java-bench/classes
	$(call JAVA_MVN,17) org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath \
		-DincludeScope=runtime -Dmdep.outputFile=$(BUILD)/java-bench/deps
	JAVA_HOME=$$($(JAVA_SCRIPTS)/jdk.sh 17) && $$JAVA_HOME/bin/javac --release 11 -d $(BUILD)/java-bench/classes \
		-cp "$(JAVA_JAR):$$(cat $(BUILD)/java-bench/deps)" $(JAVA_DIR)/bench/RealisticWorker.java && \
		cp="$(BUILD)/java-bench/classes:$(JAVA_JAR):$$(cat $(BUILD)/java-bench/deps)" && \
		echo "$$cp" >$(BUILD)/java-bench/classpath && \
		printf '#!/bin/sh\n# Written by mk/java.mk: one cell of make bench-realistic.\nexec \047%s\047 -cp \047%s\047 RealisticWorker "$$@"\n' \
			"$$JAVA_HOME/bin/java" "$$cp" >$(BUILD)/java-bench/run && chmod +x $(BUILD)/java-bench/run
