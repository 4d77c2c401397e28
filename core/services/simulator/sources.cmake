# Sources of core/services/simulator, added to breakwater_core.
target_sources(breakwater_core PRIVATE
)
