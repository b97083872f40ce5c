/**
 * BinaryConnect training on ND4J and export to the integer network.
 *
 * <p>Entry points: {@link org.bcflow.trainer.Trainer#train} turns a data set and a
 * {@link org.bcflow.trainer.TrainConfig} into a {@link org.bcflow.trainer.FloatModel} (plain-Java
 * inference, the float reference); {@link org.bcflow.trainer.Exporter#toNetwork} folds it into
 * the {@link org.bcflow.core.Network} that the hardware computes;
 * {@link org.bcflow.trainer.Checkpoint#readModel} reads the model back from the checkpoint file a
 * run writes after every epoch. The net itself ({@code BinaryMlp}) is package-private.
 */
package org.bcflow.trainer;
