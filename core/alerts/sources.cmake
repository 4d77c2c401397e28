# Sources of core/alerts, added to breakwater_core.
target_sources(breakwater_core PRIVATE
)
