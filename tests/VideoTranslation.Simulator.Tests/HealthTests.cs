namespace VideoTranslation.Simulator.Tests;
