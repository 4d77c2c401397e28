# Sources of core/config, added to breakwater_core.
target_sources(breakwater_core PRIVATE
)
