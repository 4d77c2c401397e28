# Sources of core/telemetry, added to breakwater_core.
target_sources(breakwater_core PRIVATE
)
