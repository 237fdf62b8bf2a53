# Sourced by ./mvnw and ./sluice: exports JAVA_HOME pointing at a JDK >= 21.
# Keeps a JAVA_HOME that is already new enough; otherwise takes the newest JDK >= 21 under /usr/lib/jvm.
sluice_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}
sluice_select_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(sluice_java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return 0
  fi
  best="" best_major=0
  for home in $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort); do
    [ -x "$home/bin/javac" ] || continue
    major=$(sluice_java_major "$home")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$home" best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "sluice: no JDK >= 21 found (JAVA_HOME='${JAVA_HOME-}', /usr/lib/jvm has none); install one and set JAVA_HOME" >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}
sluice_select_jdk
