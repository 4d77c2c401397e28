# Sources of core/scenario, added to breakwater_core.
target_sources(breakwater_core PRIVATE
)
