# Sources of core/pipeline, added to breakwater_core.
target_sources(breakwater_core PRIVATE
)
