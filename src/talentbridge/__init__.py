"""TalentBridge: AI talent for AI startups and manufacturing AI companies.

Importing the package does no work: settings, engines, models and indexes are made by factories.
"""

__version__ = "0.1.0"
